package io.sluice.devservices.sls;

/** The SLS project, logstore and AccessKey of the embedded default (README command 1) and the test kit. */
public final class DemoSls {

    public static final String ENDPOINT = "cn-local.log.local";
    public static final String PROJECT = "sluice-demo";
    public static final String LOGSTORE = "app-events";
    public static final int SHARDS = 2;
    public static final String ACCESS_KEY_ID = "sluice-demo-ak";
    public static final String ACCESS_KEY_SECRET = "sluice-demo-sk";

    private DemoSls() {
    }

    /** A local SLS server holding the demo project and logstore and accepting the demo AccessKey. */
    public static LocalSlsServer start() {
        LocalSlsServer server = LocalSlsServer.start().addAccessKey(ACCESS_KEY_ID, ACCESS_KEY_SECRET);
        server.createLogstore(PROJECT, LOGSTORE, SHARDS);
        return server;
    }
}
