package io.sluice.sls;

import com.aliyun.openservices.log.exception.LogException;

import java.util.Set;

/** What an SLS error means for a link: retry after a pause, or stop with a message that says what to fix. */
final class SlsErrors {

    private static final Set<String> AUTH = Set.of("Unauthorized", "SignatureNotMatch", "InvalidAccessKeyId",
            "SecurityTokenExpired", "InvalidSecurityToken");
    private static final Set<String> MISSING = Set.of("ProjectNotExist", "LogStoreNotExist");

    private SlsErrors() {
    }

    /** True when retrying cannot help until the user changes something (key, project, logstore, permissions). */
    static boolean isFatal(LogException e) {
        String code = e.GetErrorCode();
        return AUTH.contains(code) || MISSING.contains(code) || "Forbidden".equals(code)
                || "ProjectForbidden".equals(code) || "InvalidCursor".equals(code);
    }

    /** The AccessKey (or STS token) is refused. */
    static boolean isAuth(LogException e) {
        return AUTH.contains(e.GetErrorCode());
    }

    static boolean isThrottled(LogException e) {
        return "ReadQuotaExceed".equals(e.GetErrorCode()) || "ExceedQuota".equals(e.GetErrorCode())
                || "ServerBusy".equals(e.GetErrorCode());
    }

    /** One line naming the data source, the SLS error and the fix. */
    static String describe(SlsEndpoint source, LogException e) {
        String code = e.GetErrorCode();
        String what = "SLS " + source.describe() + " answered " + code + " (" + e.GetErrorMessage() + ")";
        String group = source.getOptions().getConsumerGroup();
        if (group != null && ("Unauthorized".equals(code) || "Forbidden".equals(code))) {
            return what + ": the AccessKey is refused or lacks a permission; check access-key-id, access-key-secret "
                    + "(and security-token), and note that reading through consumer group '" + group + "' needs these "
                    + "permissions on logstore '"
                    + source.getLogstore() + "' for the AccessKey of " + source.dataSourceLabel() + ": log:ListConsumerGroup, "
                    + "log:CreateConsumerGroup, log:UpdateConsumerGroup, log:ConsumerGroupHeartBeat, "
                    + "log:ConsumerGroupUpdateCheckPoint, log:GetConsumerGroupCheckPoint (besides log:ListShards, "
                    + "log:GetCursorOrData); grant them or remove consumerGroup, then start the link";
        }
        if (AUTH.contains(code)) {
            return what + ": the AccessKey is refused; check access-key-id, access-key-secret (and security-token) of "
                    + source.dataSourceLabel() + ", then start the link";
        }
        if ("ProjectNotExist".equals(code)) {
            return what + ": project '" + source.getOptions().getProject() + "' does not exist at " + source.getOptions().getEndpoint()
                    + "; check project and endpoint, then start the link";
        }
        if ("LogStoreNotExist".equals(code)) {
            return what + ": create logstore '" + source.getLogstore() + "' or fix the link's logstore, then start the link";
        }
        if ("InvalidCursor".equals(code)) {
            return what + ": the checkpointed cursor is no longer valid (the data may have expired); change startTime "
                    + "to restart from a time, then start the link";
        }
        if (isThrottled(e)) {
            return what + ": read quota exceeded, backing off";
        }
        if ("RequestError".equals(code)) {
            return "SLS " + source.describe() + " is unreachable (" + e.GetErrorMessage() + "); retrying";
        }
        return what;
    }
}
