package io.sluice.jdbc;

import java.sql.SQLException;

/**
 * A failed write into the destination database. {@link #kind()} tells whether the same write can be retried
 * ({@link ErrorKind#RETRYABLE}), the rows are bad ({@link ErrorKind#DATA}), the account must be fixed
 * ({@link ErrorKind#ACCESS}) or something else ({@link ErrorKind#OTHER}). Messages never contain passwords.
 */
public class SinkWriteException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorKind kind;
    private final String table;
    private final String sqlState;
    private final int errorCode;
    private final int failedRowFrom;
    private final int failedRowCount;

    public SinkWriteException(ErrorKind kind, String table, String message, Throwable cause) {
        this(kind, table, message, cause, -1, 0);
    }

    public SinkWriteException(ErrorKind kind, String table, String message, Throwable cause,
                              int failedRowFrom, int failedRowCount) {
        super(message, cause);
        this.kind = kind;
        this.table = table;
        this.failedRowFrom = failedRowFrom;
        this.failedRowCount = failedRowCount;
        SQLException se = cause == null ? null : SqlErrors.primary(cause);
        this.sqlState = se == null ? null : se.getSQLState();
        this.errorCode = se == null ? 0 : se.getErrorCode();
    }

    /** What happened to the batch, used in the message. */
    enum Outcome {
        /** No connection was obtained: nothing was written. */
        NOT_CONNECTED("nothing was written"),
        /** Failed before commit and rolled back: nothing of the batch was written. */
        ROLLED_BACK("the whole batch was rolled back, nothing of it was written"),
        /** The commit itself failed: the server may or may not have committed. */
        COMMIT_UNKNOWN("the commit failed, so whether the batch was written is unknown");

        final String text;

        Outcome(String text) {
            this.text = text;
        }
    }

    /** Classifies {@code e} and builds a message naming the table and the fix. */
    public static SinkWriteException of(String qualifiedTable, Throwable e) {
        return of(qualifiedTable, e, Outcome.ROLLED_BACK);
    }

    static SinkWriteException of(String qualifiedTable, Throwable e, Outcome outcome) {
        return of(qualifiedTable, e, outcome, -1, 0, 0);
    }

    static SinkWriteException of(String qualifiedTable, Throwable e, Outcome outcome, int from, int count,
                                 int batchSize) {
        ErrorKind kind = SqlErrors.classify(e);
        String detail = SqlErrors.describe(e);
        if (from >= 0 && count > 0) {
            // the server's "at row N" counts within the failed statement
            detail += " (the failed statement held rows " + from + ".." + (from + count - 1) + " of the "
                    + batchSize + "-row batch, counted from 0)";
        }
        if (SqlErrors.isPacketTooLarge(e)) {
            return new SinkWriteException(ErrorKind.DATA, qualifiedTable, "table " + qualifiedTable
                    + " could not take a row (" + outcome.text + "): a single row is larger than the server's "
                    + "max_allowed_packet: raise max_allowed_packet on the destination server or shrink the row: "
                    + detail, e, from, count);
        }
        String msg = switch (kind) {
            case RETRYABLE -> "transient failure writing to table " + qualifiedTable + " (" + outcome.text
                    + "); the write can be retried: " + detail;
            case DATA -> "table " + qualifiedTable + " rejected the row data (" + outcome.text
                    + "): fix the source data or the destination column definition: " + detail;
            case ACCESS -> "access denied writing to table " + qualifiedTable + " (" + outcome.text
                    + "): check the account and password of the destination data source and that the account "
                    + "may INSERT and UPDATE that table: " + detail;
            case OTHER -> "writing to table " + qualifiedTable + " failed (" + outcome.text
                    + "): check that the destination table still matches the configured columns: " + detail;
        };
        return new SinkWriteException(kind, qualifiedTable, msg, e, from, count);
    }

    /**
     * This failure of one writer connection (lane) of a batch, after {@code committed} of the batch's {@code lanes}
     * lanes had committed their rows ({@link TransactionPipeline}): "nothing was written" would be untrue.
     */
    SinkWriteException afterPartialCommit(int committed, int lanes) {
        String partly = committed + " of " + lanes + " writer connections had committed their rows of the batch, the "
                + "rest was rolled back; the whole batch is written again, which upserts the committed rows once more";
        String message = getMessage();
        for (Outcome nothingWritten : new Outcome[]{Outcome.ROLLED_BACK, Outcome.NOT_CONNECTED}) {
            message = message.replace("(" + nothingWritten.text + ")", "(" + partly + ")");
        }
        return new SinkWriteException(kind, table, message, getCause(), failedRowFrom, failedRowCount);
    }

    public ErrorKind kind() {
        return kind;
    }

    public boolean isRetryable() {
        return kind == ErrorKind.RETRYABLE;
    }

    /** "db.table" the write was for. */
    public String table() {
        return table;
    }

    /** SQLState of the underlying error, or null. */
    public String sqlState() {
        return sqlState;
    }

    /**
     * Index (in the list given to {@code write}) of the first row of the statement that failed, or -1 when the
     * failure was not in a statement (connect, commit). With {@link #failedRowCount()} this narrows down bad rows.
     */
    public int failedRowFrom() {
        return failedRowFrom;
    }

    /** Number of rows in the statement that failed; 0 when {@link #failedRowFrom()} is -1. */
    public int failedRowCount() {
        return failedRowCount;
    }

    /** Vendor error code of the underlying error, or 0. */
    public int errorCode() {
        return errorCode;
    }
}
