package io.sluice.maxcompute;

import com.aliyun.odps.Odps;
import com.aliyun.odps.OdpsException;
import com.aliyun.odps.Project;
import io.sluice.base.DataSourceKind;
import io.sluice.base.SecretMasker;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The MaxCompute data sources ({@code sluice.maxcompute.<name>.*}) for the management API; the test reads the project
 * through the SDK client a link uses.
 */
@ApplicationScoped
public class MaxComputeDataSources implements DataSourceKind {

    @Inject
    MaxComputeConfig config;

    /** The component the links use (looked up by name: Camel Quarkus also exposes components as beans by type). */
    @Inject
    org.apache.camel.CamelContext camel;

    @Override
    public String kind() {
        return "maxcompute";
    }

    @Override
    public List<Described> list() {
        List<Described> out = new ArrayList<>();
        new TreeMap<>(config.maxcompute()).forEach((name, s) -> {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("project", s.project());
            s.tunnelEndpoint().ifPresent(t -> details.put("tunnelEndpoint", t));
            // the AccessKey ID names the account; the AccessKey secret is never shown
            out.add(new Described(name, kind(), s.endpoint(), s.accessId().orElse(null), details));
        });
        return out;
    }

    @Override
    public TestResult test(String name) {
        if (!config.maxcompute().containsKey(name)) {
            throw DataSourceKind.notDeclared("MaxCompute", name, "sluice.maxcompute." + name
                    + ".endpoint, .project, .access-id and .access-key", config.maxcompute().keySet());
        }
        long start = System.currentTimeMillis();
        MaxComputeTarget target;
        try {
            target = camel.getComponent("maxcompute", MaxComputeComponent.class).dataSource(name);
        } catch (IllegalArgumentException e) { // no AccessKey: the message says which settings to set
            return new TestResult(false, e.getMessage(), System.currentTimeMillis() - start);
        }
        String prefix = "sluice.maxcompute." + name;
        try {
            Odps odps = target.odps();
            // a test answers within seconds: the SDK's defaults (read timeout in minutes, several retries with waits)
            // would keep the caller, the API or an idle link's check, from saying the server does not answer
            odps.getRestClient().setConnectTimeout(5);
            odps.getRestClient().setReadTimeout(10);
            odps.getRestClient().setRetryTimes(0);
            Project project = odps.projects().get(target.project());
            project.reload();
            return new TestResult(true, "project " + target.project() + " at " + target.endpoint() + " answers ("
                    + project.getStatus() + ")", System.currentTimeMillis() - start);
        } catch (OdpsException | RuntimeException e) {
            String fix = SinkErrors.authenticationRefused(e)
                    ? "the AccessKey is refused: check " + prefix + ".access-id and .access-key"
                    : e instanceof OdpsException oe && oe.getStatus() != null && oe.getStatus() == 404
                    ? "check " + prefix + ".project and .endpoint (the project's region)"
                    : "check " + prefix + ".endpoint and that this host can reach it";
            String message = "MaxCompute project " + target.project() + " at " + target.endpoint() + " answered: "
                    + SinkErrors.reason(e) + ": " + fix;
            return new TestResult(false, SecretMasker.maskValues(message, target.accessKey()),
                    System.currentTimeMillis() - start);
        }
    }
}
