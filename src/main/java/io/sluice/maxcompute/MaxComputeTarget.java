package io.sluice.maxcompute;

import com.aliyun.odps.Odps;
import com.aliyun.odps.account.AliyunAccount;
import com.aliyun.odps.tunnel.TableTunnel;

/**
 * Where a link writes: a MaxCompute project, its AccessKey pair and endpoint. The tunnel endpoint is optional:
 * without it the SDK asks the service ({@code GET /projects/{p}/tunnel?service}). The secret is never part of
 * {@link #toString()}.
 */
public record MaxComputeTarget(String project, String accessId, String accessKey, String endpoint,
                               String tunnelEndpoint) {

    public MaxComputeTarget {
        for (String[] required : new String[][] {{"project", project}, {"accessId", accessId},
                {"accessKey", accessKey}, {"endpoint", endpoint}}) {
            if (required[1] == null || required[1].isBlank()) {
                throw new IllegalArgumentException("MaxCompute data source: " + required[0] + " is required");
            }
        }
    }

    /** An SDK client for this project (the project existence check of external-catalog projects skipped). */
    public Odps odps() {
        Odps odps = new Odps(new AliyunAccount(accessId, accessKey));
        odps.setEndpoint(endpoint);
        odps.setDefaultProject(project);
        odps.options().setSkipCheckIfEpv2(true);
        return odps;
    }

    public TableTunnel tunnel(Odps odps) {
        TableTunnel tunnel = new TableTunnel(odps);
        if (tunnelEndpoint != null && !tunnelEndpoint.isBlank()) {
            tunnel.setEndpoint(tunnelEndpoint);
        }
        return tunnel;
    }

    @Override
    public String toString() {
        return "MaxCompute project " + project + " at " + endpoint + " (AccessKey ID " + accessId + ")";
    }
}
