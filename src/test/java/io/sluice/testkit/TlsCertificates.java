package io.sluice.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A certificate authority and a server certificate it signed (for 127.0.0.1 and localhost), made with the JDK's own
 * {@code keytool}, as PEM files a MariaDB server takes ({@code --ssl-ca --ssl-cert --ssl-key}) and a client trusts
 * ({@link #caPem()}). No BouncyCastle, no openssl: the JDK that runs the tests is all it needs.
 */
public final class TlsCertificates {

    private static final String STORE_PASSWORD = "test-store-pw";
    /** The password of {@link #caTrustStore()}. */
    public static final String TRUST_STORE_PASSWORD = "trust-store-pw";

    private final Path dir;

    private TlsCertificates(Path dir) {
        this.dir = dir;
    }

    /**
     * A new CA and a server certificate it signed, and a second CA that signed nothing (what a wrong ssl-ca is), in a
     * new temporary directory. Each keytool run is a JVM start (about a second): independent runs go side by side.
     */
    public static TlsCertificates create() {
        try {
            Path dir = Files.createTempDirectory("sluice-tls-");
            TlsCertificates certs = new TlsCertificates(dir);
            certs.make();
            return certs;
        } catch (IOException e) {
            throw new IllegalStateException("cannot make the test certificates: " + e.getMessage(), e);
        }
    }

    /** The CA's certificate, PEM: what a client verifying the server trusts. */
    public Path caPem() {
        return dir.resolve("ca.pem");
    }

    /** The CA's certificate in a PKCS12 trust store with password {@link #TRUST_STORE_PASSWORD}. */
    public Path caTrustStore() {
        return dir.resolve("ca-trust.p12");
    }

    /** A CA that did not sign the server's certificate, PEM. */
    public Path otherCaPem() {
        return dir.resolve("other-ca.pem");
    }

    public Path serverCertPem() {
        return dir.resolve("server-cert.pem");
    }

    public Path serverKeyPem() {
        return dir.resolve("server-key.pem");
    }

    /** The server options of a MariaDB serving this certificate. */
    public List<String> serverArgs() {
        return List.of("--ssl-ca=" + caPem(), "--ssl-cert=" + serverCertPem(), "--ssl-key=" + serverKeyPem());
    }

    private void make() throws IOException {
        Path ca = dir.resolve("ca.p12");
        Path other = dir.resolve("other-ca.p12");
        Path server = dir.resolve("server.p12");
        parallel(
                () -> keytool(null, "-genkeypair", "-keystore", ca.toString(), "-alias", "ca", "-keyalg", "RSA",
                        "-keysize", "2048", "-dname", "CN=Sluice test CA", "-ext", "bc:c", "-validity", "30"),
                () -> keytool(null, "-genkeypair", "-keystore", other.toString(), "-alias", "ca", "-keyalg", "RSA",
                        "-keysize", "2048", "-dname", "CN=Sluice test other CA", "-ext", "bc:c", "-validity", "30"),
                () -> keytool(null, "-genkeypair", "-keystore", server.toString(), "-alias", "server", "-keyalg", "RSA",
                        "-keysize", "2048", "-dname", "CN=localhost", "-validity", "30"));
        byte[][] request = new byte[1][];
        parallel(
                () -> keytool(null, "-exportcert", "-rfc", "-keystore", ca.toString(), "-alias", "ca", "-file",
                        caPem().toString()),
                () -> keytool(null, "-exportcert", "-rfc", "-keystore", other.toString(), "-alias", "ca", "-file",
                        otherCaPem().toString()),
                () -> request[0] = keytool(null, "-certreq", "-keystore", server.toString(), "-alias", "server"));
        byte[] signed = keytool(request[0], "-gencert", "-rfc", "-keystore", ca.toString(), "-alias", "ca",
                "-ext", "san=ip:127.0.0.1,dns:localhost", "-validity", "30");
        Files.write(serverCertPem(), signed);
        Files.writeString(serverKeyPem(), pem("PRIVATE KEY", privateKey(server, "server").getEncoded()));
        try (InputStream in = Files.newInputStream(caPem()); OutputStream out = Files.newOutputStream(caTrustStore())) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            trust.store(out, TRUST_STORE_PASSWORD.toCharArray());
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot write the trust store: " + e.getMessage(), e);
        }
    }

    private interface Step {
        Object run() throws IOException;
    }

    /** Runs the steps side by side (each waits on its keytool process; the common pool may have one thread only). */
    private static void parallel(Step... steps) throws IOException {
        List<CompletableFuture<Object>> running = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(steps.length);
        for (Step s : steps) {
            running.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return s.run();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, threads));
        }
        try {
            CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof UncheckedIOException u ? u.getCause() : new IOException(e.getCause());
        } finally {
            threads.shutdown();
        }
    }

    private static PrivateKey privateKey(Path store, String alias) throws IOException {
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, STORE_PASSWORD.toCharArray());
            return (PrivateKey) ks.getKey(alias, STORE_PASSWORD.toCharArray());
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the key of " + store + ": " + e.getMessage(), e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    /** Runs the JDK's keytool with {@code stdin} (or none) and returns what it printed. */
    private static byte[] keytool(byte[] stdin, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", STORE_PASSWORD, "-noprompt"));
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        try {
            if (stdin != null) {
                p.getOutputStream().write(stdin);
            }
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("keytool " + args[0] + " failed: " + err);
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while keytool ran", e);
        }
    }
}
