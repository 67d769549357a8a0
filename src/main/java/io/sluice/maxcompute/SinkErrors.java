package io.sluice.maxcompute;

import com.aliyun.odps.OdpsException;
import io.sluice.base.LinkHaltException;
import io.sluice.base.SecretMasker;

import java.util.function.BiConsumer;

/**
 * What the MaxCompute sink of one link says when something fails, and how a failure is classified: a refused
 * AccessKey halts the link with the fix, anything else (server unreachable, 5xx) stays retryable. Every message, in
 * the run log or in a halt, goes through {@link SecretMasker} with the data source's AccessKey secret.
 */
final class SinkErrors {

    private final String link;
    private final String dataSource;
    private final MaxComputeTarget target;
    /** (event, message) into the link's run log. */
    private final BiConsumer<String, String> runLog;

    SinkErrors(String link, String dataSource, MaxComputeTarget target, BiConsumer<String, String> runLog) {
        this.link = link;
        this.dataSource = dataSource;
        this.target = target;
        this.runLog = runLog;
    }

    String link() {
        return link;
    }

    /** Runs a MaxCompute call on {@code table}; a refused AccessKey halts the link, other failures stay retryable. */
    void guard(String table, Runnable call) {
        try {
            call.run();
        } catch (LinkHaltException e) {
            throw e;
        } catch (RuntimeException e) {
            if (authenticationRefused(e)) {
                throw halt("MaxCompute data source '" + dataSource + "' (" + target + ") refused the AccessKey while "
                        + "writing table " + table + ": " + reason(e) + "; fix sluice.maxcompute." + dataSource
                        + ".access-id / .access-key and start the link again", e);
            }
            throw e;
        }
    }

    /** The link stops with {@code message} (which says the fix), shown in its run log. */
    LinkHaltException halt(String message, Throwable cause) {
        String m = "link " + link + ": " + mask(message);
        runLog.accept("halted", m);
        return new LinkHaltException(m, cause);
    }

    /** A line in the link's run log. */
    void log(String event, String message) {
        runLog.accept(event, mask(message));
    }

    static boolean authenticationRefused(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OdpsException oe) {
                Integer status = oe.getStatus();
                String code = oe.getErrorCode();
                if ((status != null && (status == 401 || status == 403)) || isAuthCode(code)) {
                    return true;
                }
            }
            String m = t.getMessage();
            if (m != null && (isAuthCode(m) || m.contains("ODPS-04100"))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static boolean isAuthCode(String s) {
        return s != null && (s.contains("SignatureNotMatch") || s.contains("InvalidAccessKeyId")
                || s.contains("Unauthorized"));
    }

    /** The innermost message that says what the service answered. */
    static String reason(Throwable e) {
        String reason = e.getMessage();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OdpsException && t.getMessage() != null) {
                reason = t.getMessage();
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return reason;
    }

    private String mask(String s) {
        return s == null ? "" : SecretMasker.maskValues(s, target.accessKey());
    }

    /** A DDL statement's text on one line, cut to 200 characters, for messages. */
    static String abbreviate(String s) {
        String one = s == null ? "" : s.replaceAll("\\s+", " ").trim();
        return one.length() > 200 ? one.substring(0, 200) + "..." : one;
    }
}
