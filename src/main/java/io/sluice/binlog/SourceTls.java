package io.sluice.binlog;

import io.sluice.base.Errors;
import io.sluice.base.PrecheckItem;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.Properties;

/**
 * TLS to a MySQL data source ({@code sluice.mysql.<name>.ssl-mode}, {@code .ssl-ca}, {@code .ssl-trust-store},
 * {@code .ssl-trust-store-password}), the one place that turns the MySQL client's modes into the settings of the
 * MariaDB driver (the precheck's, the API's and the full-load estimate's connections) and of Debezium (its binlog
 * reader and snapshot connections), whose connectors spell them differently.
 *
 * <p>{@code preferred} (the default, as MySQL clients): encrypted without verifying the certificate when the server
 * offers TLS, plain otherwise. The MariaDB driver has no such mode (only {@code disable, trust, verify-ca,
 * verify-full}), so a {@code trust} connection refused for a server without TLS is made again without it; Debezium's
 * MariaDB connector has none either, so it gets {@code trust} or {@code disable} by what the server offered the last
 * connection ({@link #debeziumProperties}); its MySQL connector has {@code preferred} itself.
 */
public final class SourceTls {

    /** The MySQL client's {@code --ssl-mode} values, as a user of MySQL knows them. */
    public enum Mode {
        DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY;

        public String spelled() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        boolean verifies() {
            return this == VERIFY_CA || this == VERIFY_IDENTITY;
        }
    }

    /** What the MariaDB driver says when it asked for TLS and the server offers none. */
    private static final String NO_TLS_ON_SERVER = "ssl not enabled in the server";
    /**
     * The trust store made from {@code ssl-ca} for Debezium's binlog reader, which takes JKS/PKCS12 only. It holds the
     * CA's public certificate alone, so its password protects nothing: a fixed one.
     */
    static final String CA_STORE_FILE = "source-ca.p12";
    private static final String CA_STORE_PASSWORD = "sluice-public-ca";

    private final String dataSource;
    private final Mode mode;
    private final String ca;
    private final String trustStore;
    private final String trustStorePassword;

    private SourceTls(String dataSource, Mode mode, String ca, String trustStore, String trustStorePassword) {
        this.dataSource = dataSource;
        this.mode = mode;
        this.ca = ca;
        this.trustStore = trustStore;
        this.trustStorePassword = trustStorePassword;
    }

    /**
     * The TLS settings of data source {@code name}; a setting that cannot work is refused naming it and the fix (the
     * link is refused when added, the API's test answers it).
     */
    public static SourceTls of(String name, MySqlConfig.MysqlSource source) {
        String prefix = "sluice.mysql." + name + ".";
        String spelled = source.sslMode().strip().toLowerCase(Locale.ROOT);
        Mode mode = Arrays.stream(Mode.values()).filter(m -> m.spelled().equals(spelled.replace('_', '-'))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(prefix + "ssl-mode '" + source.sslMode() + "' is not one of "
                        + Arrays.stream(Mode.values()).map(Mode::spelled).toList() + " (the MySQL client's --ssl-mode)"));
        String ca = source.sslCa().filter(s -> !s.isBlank()).orElse(null);
        String trustStore = source.sslTrustStore().filter(s -> !s.isBlank()).orElse(null);
        if (ca != null && trustStore != null) {
            throw new IllegalArgumentException(prefix + "ssl-ca and " + prefix + "ssl-trust-store are both set: give the CA "
                    + "certificate either as a PEM file (ssl-ca) or in a JKS/PKCS12 trust store (ssl-trust-store), not both");
        }
        if (ca != null) {
            readCertificates(prefix + "ssl-ca", ca);
        }
        if (trustStore != null && !Files.isReadable(Path.of(trustStore))) {
            throw new IllegalArgumentException(prefix + "ssl-trust-store " + trustStore + " is not a readable file: give the "
                    + "path of a JKS or PKCS12 trust store holding the CA that signed the server's certificate");
        }
        // refused rather than ignored: a CA given with ssl-mode=required would look verified and is not
        if ((ca != null || trustStore != null) && !mode.verifies()) {
            throw new IllegalArgumentException(prefix + (ca != null ? "ssl-ca" : "ssl-trust-store") + " is used only by "
                    + "ssl-mode=verify-ca or verify-identity, and " + prefix + "ssl-mode is " + mode.spelled() + ": set "
                    + prefix + "ssl-mode=verify-ca to verify the server's certificate with it, or remove it");
        }
        return new SourceTls(name, mode, ca, trustStore, source.sslTrustStorePassword().orElse(null));
    }

    public Mode mode() {
        return mode;
    }

    /** Where the CA comes from, for the API: the PEM file, the trust store, or null (the JDK's default trust store). */
    public String caSource() {
        return ca != null ? ca : trustStore;
    }

    /** The MariaDB driver's settings for a connection that asks for TLS as the mode says ({@code tls}) or not. */
    Properties jdbcProperties(boolean tls) {
        Properties p = new Properties();
        if (!tls || mode == Mode.DISABLED) {
            p.setProperty("sslMode", "disable");
            return p;
        }
        p.setProperty("sslMode", switch (mode) {
            case VERIFY_CA -> "verify-ca";
            case VERIFY_IDENTITY -> "verify-full";
            default -> "trust";
        });
        if (mode.verifies() && ca != null) {
            p.setProperty("serverSslCert", ca);
        }
        if (mode.verifies() && trustStore != null) {
            p.setProperty("trustStore", trustStore);
            if (trustStorePassword != null) {
                p.setProperty("trustStorePassword", trustStorePassword);
            }
        }
        return p;
    }

    /** Whether a connection that asked for TLS failed only because the server offers none, and the mode allows plain. */
    boolean retryPlain(SQLException e) {
        return mode == Mode.PREFERRED && offersNoTls(e);
    }

    private static boolean offersNoTls(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c.getMessage() != null && c.getMessage().contains(NO_TLS_ON_SERVER)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Debezium's TLS settings for {@code flavor}: {@code database.ssl.mode} in the connector's spelling, and the trust
     * store its binlog reader verifies the server with (an {@code ssl-ca} PEM converted into {@value #CA_STORE_FILE}
     * in {@code stateDir}). {@code serverOffersTls}: whether the server offered TLS to the last connection (decides
     * {@code preferred} for the MariaDB connector, which has no such mode).
     */
    Properties debeziumProperties(String flavor, boolean serverOffersTls, Path stateDir) {
        Properties p = new Properties();
        boolean mariadb = flavor.equals("mariadb");
        String sslMode = mariadb
                ? switch (mode) {
                    case DISABLED -> "disable";
                    case PREFERRED -> serverOffersTls ? "trust" : "disable";
                    case REQUIRED -> "trust";
                    case VERIFY_CA -> "verify-ca";
                    case VERIFY_IDENTITY -> "verify-full";
                }
                : mode.name().toLowerCase(Locale.ROOT);
        p.setProperty("database.ssl.mode", sslMode);
        if (mode.verifies() && trustStore != null) {
            p.setProperty("database.ssl.truststore", trustStore);
            if (trustStorePassword != null) {
                p.setProperty("database.ssl.truststore.password", trustStorePassword);
            }
        } else if (mode.verifies() && ca != null) {
            p.setProperty("database.ssl.truststore", caStore(stateDir).toString());
            p.setProperty("database.ssl.truststore.password", CA_STORE_PASSWORD);
        }
        return p;
    }

    /** {@code ssl-ca}'s certificates as a PKCS12 trust store in {@code dir}, written anew (the PEM may have changed). */
    private Path caStore(Path dir) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int i = 0;
            for (Certificate c : readCertificates("sluice.mysql." + dataSource + ".ssl-ca", ca)) {
                store.setCertificateEntry("ca-" + i++, c);
            }
            Files.createDirectories(dir);
            Path file = dir.resolve(CA_STORE_FILE);
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, CA_STORE_PASSWORD.toCharArray());
            }
            return file;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot write the trust store of sluice.mysql." + dataSource + ".ssl-ca into "
                    + dir + " (the link's state directory): " + Errors.describe(e), e);
        }
    }

    private static Collection<? extends Certificate> readCertificates(String setting, String path) {
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new CertificateException("no certificate in it");
            }
            return certs;
        } catch (IOException | CertificateException e) {
            throw new IllegalArgumentException(setting + " " + path + " is not a readable PEM certificate ("
                    + Errors.describe(e) + "): give the PEM file of the CA that signed the server's certificate "
                    + "(-----BEGIN CERTIFICATE-----)", e);
        }
    }

    /** The TLS version and cipher of connection {@code c} ({@code TLSv1.3, TLS_AES_256_GCM_SHA384}), null if plain. */
    static String encryption(Connection c) throws SQLException {
        String version = null;
        String cipher = null;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SHOW SESSION STATUS WHERE Variable_name IN ('Ssl_version', 'Ssl_cipher')")) {
            while (rs.next()) {
                if (rs.getString(1).equalsIgnoreCase("Ssl_version")) {
                    version = rs.getString(2);
                } else {
                    cipher = rs.getString(2);
                }
            }
        }
        return version == null || version.isBlank() ? null : version + ", " + cipher;
    }

    /** The precheck's "encryption" item of a connection made with these settings, {@link #encryption} its TLS. */
    PrecheckItem encryptionItem(String encryption, String where) {
        String setting = "sluice.mysql." + dataSource + ".ssl-mode";
        if (encryption != null) {
            String verified = switch (mode) {
                case VERIFY_CA -> "; the server's certificate is signed by " + trusted();
                case VERIFY_IDENTITY -> "; the server's certificate is signed by " + trusted() + " and names " + where;
                default -> "; the server's certificate is not verified (" + setting + "=" + mode.spelled() + ")";
            };
            return PrecheckItem.pass("encryption", "encrypted: " + encryption + verified);
        }
        if (mode == Mode.DISABLED) {
            return PrecheckItem.pass("encryption", "not encrypted (" + setting + "=disabled)");
        }
        return PrecheckItem.warn("encryption", "not encrypted: " + setting + "=preferred and the server at " + where
                + " offers no TLS, so the rows read and the binlog cross the network unencrypted",
                "enable TLS on the server (ssl_cert and ssl_key in its config file), or set " + setting
                        + "=disabled to silence this");
    }

    private String trusted() {
        return ca != null ? "the CA in " + ca : trustStore != null ? "a CA in " + trustStore : "a CA the JDK trusts";
    }

    /**
     * The precheck item of a connection refused over TLS (no TLS on the server, a certificate not signed by the given
     * CA, a certificate that does not name the host); null when {@code e} is no TLS failure.
     */
    PrecheckItem failure(SQLException e, String where) {
        String prefix = "sluice.mysql." + dataSource + ".";
        String detail = "cannot connect to " + where + " over TLS (" + prefix + "ssl-mode=" + mode.spelled() + "): "
                + Errors.describe(e);
        if (offersNoTls(e)) {
            return PrecheckItem.fail("source connection", "the server at " + where + " offers no TLS and " + prefix
                    + "ssl-mode is " + mode.spelled(), "enable TLS on the server (ssl_cert and ssl_key in its config file), "
                    + "or set " + prefix + "ssl-mode=preferred to connect without it when the server offers none");
        }
        if (Errors.find(e, SSLException.class) == null && Errors.find(e, CertificateException.class) == null) {
            return null;
        }
        String text = detail.toLowerCase(Locale.ROOT);
        if (text.contains("certification path") || text.contains("pkix") || text.contains("not trusted")) {
            return PrecheckItem.fail("source connection", detail, "set " + prefix + "ssl-ca to the PEM file of the CA that "
                    + "signed the server's certificate (or " + prefix + "ssl-trust-store to a trust store holding it); "
                    + prefix + "ssl-mode=required encrypts without verifying the certificate");
        }
        if (text.contains("subject alternative") || text.contains("hostname") || text.contains("host name")) {
            return PrecheckItem.fail("source connection", detail, "set " + prefix + "host to a name or address the "
                    + "server's certificate names, or use " + prefix + "ssl-mode=verify-ca, which checks the CA only");
        }
        return PrecheckItem.fail("source connection", detail, "check " + prefix + "ssl-mode and the server's TLS settings "
                + "(ssl_cert, ssl_key, tls_version); " + prefix + "ssl-mode=disabled connects without TLS");
    }
}
