package io.sluice.sls;

import com.aliyun.openservices.log.Client;
import com.aliyun.openservices.log.exception.LogException;
import com.aliyun.openservices.log.response.ListLogStoresResponse;
import io.sluice.base.DataSourceKind;
import io.sluice.base.Errors;
import io.sluice.base.SecretMasker;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The SLS data sources ({@code sluice.sls.<name>.*}) for the management API; the test lists the project's logstores. */
@ApplicationScoped
public class SlsDataSources implements DataSourceKind {

    @Inject
    SlsConfig config;

    @Override
    public String kind() {
        return "sls";
    }

    @Override
    public List<Described> list() {
        List<Described> out = new ArrayList<>();
        new TreeMap<>(config.dataSources()).forEach((name, s) -> {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("project", s.project());
            details.put("securityToken", s.securityToken().filter(t -> !t.isBlank()).isPresent());
            s.proxyHost().ifPresent(h -> details.put("proxy", h + ":" + s.proxyPort().orElse(0)));
            // the AccessKey ID names the account (the console shows it too); the secret is never shown
            out.add(new Described(name, kind(), s.endpoint(), s.accessKeyId().orElse(null), details));
        });
        return out;
    }

    @Override
    public TestResult test(String name) {
        SlsConfig.DataSource s = config.dataSources().get(name);
        if (s == null) {
            throw DataSourceKind.notDeclared("SLS", name, "sluice.sls." + name
                    + ".endpoint, .project, .access-key-id and .access-key-secret", config.dataSources().keySet());
        }
        long start = System.currentTimeMillis();
        String where = "SLS project '" + s.project() + "' at " + s.endpoint();
        String prefix = "sluice.sls." + name;
        try {
            Client client = SlsClients.create(s.endpoint(), s.accessKeyId().orElse(""), s.accessKeySecret().orElse(""),
                    s.securityToken().orElse(null), s.proxyHost().orElse(null), s.proxyPort().orElse(0));
            ListLogStoresResponse r = client.ListLogStores(s.project(), 0, 100, "");
            return new TestResult(true, where + " answers with " + r.GetTotal() + " logstore(s): "
                    + r.GetLogStores(), System.currentTimeMillis() - start);
        } catch (LogException e) {
            String what = where + " answered " + e.GetErrorCode() + " (" + e.GetErrorMessage() + ")";
            String fix;
            if (SlsErrors.isAuth(e)) {
                fix = "the AccessKey is refused: check " + prefix + ".access-key-id and .access-key-secret (and "
                        + ".security-token)";
            } else if ("ProjectNotExist".equals(e.GetErrorCode())) {
                fix = "check " + prefix + ".project and .endpoint (the project's region)";
            } else if ("RequestError".equals(e.GetErrorCode())) {
                what = where + " cannot be reached (" + e.GetErrorMessage() + ")";
                fix = "check " + prefix + ".endpoint (and .proxy-host / .proxy-port) and that this host can reach it";
            } else {
                fix = "check the data source " + prefix + ".* and the account's permissions on the project";
            }
            return new TestResult(false, SecretMasker.maskValues(what + ": " + fix, s.accessKeySecret().orElse(null)),
                    System.currentTimeMillis() - start);
        } catch (RuntimeException e) {
            return new TestResult(false, SecretMasker.maskValues(where + " cannot be reached (" + Errors.describe(e)
                    + "): check " + prefix + ".endpoint", s.accessKeySecret().orElse(null)), System.currentTimeMillis() - start);
        }
    }
}
