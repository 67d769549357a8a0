package io.sluice.cluster;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * Several Sluice instances with the same routes ({@code sluice.cluster.*}): each link that cannot share its work runs on
 * the one instance elected for it, through Kubernetes leases or ZooKeeper.
 */
@ConfigMapping(prefix = "sluice.cluster")
public interface ClusterConfig {

    enum Kind {
        /** One instance: every link runs here (the default). */
        NONE,
        /** Elections through Lease objects of the Kubernetes API (camel-kubernetes). */
        KUBERNETES,
        /** Elections through a ZooKeeper ensemble (camel-zookeeper, Curator's leader selector). */
        ZOOKEEPER
    }

    /** {@code none}, {@code kubernetes} or {@code zookeeper}. */
    @WithDefault("none")
    Kind kind();

    /** This instance's member id; on Kubernetes the pod's name. Default: env HOSTNAME, else the host name. */
    Optional<String> instanceId();

    /**
     * Where the other instances reach this instance's management API (forwarded actions and views). Default
     * {@code http://<first non-loopback address>:<quarkus.http.port>}.
     */
    Optional<String> advertisedUrl();

    /**
     * How long an instance that loses a link's election (its coordination service unreachable, or its lease taken)
     * may take to stop the link. Shorter than the time another instance needs to take the link over (the ZooKeeper
     * session timeout, the lease), so that a link never runs on two instances at once; work not finished by then is
     * abandoned and done again by the new runner from the last committed position. On Kubernetes,
     * {@code renew-deadline} plus this must be shorter than {@code lease-duration} (checked at start). With ZooKeeper an
     * instance cut off notices only after 2/3 of the session timeout, so at most a third of it (less half a second) is
     * used: 3 s needs a session timeout of 11 s or more.
     */
    @WithDefault("3S")
    Duration handOverTimeout();

    ZooKeeper zookeeper();

    Kubernetes kubernetes();

    interface ZooKeeper {
        /** Connect string of the ensemble, {@code host:2181,host2:2181}. */
        Optional<String> nodes();

        /** ZooKeeper path under which the elections live. */
        @WithDefault("/sluice")
        String basePath();

        /**
         * Session timeout: an instance cut off from ZooKeeper loses its links after this (it stops them as soon as the
         * connection is lost), and another instance takes them over.
         */
        @WithDefault("10S")
        Duration sessionTimeout();

        @WithDefault("5S")
        Duration connectionTimeout();
    }

    interface Kubernetes {
        /** Namespace of the Lease objects and of the instances' pods. Default: the pod's own namespace. */
        Optional<String> namespace();

        /** The API server, only outside a cluster (inside, the pod's service account is used). */
        Optional<String> masterUrl();

        /** Labels ({@code k=v,k2=v2}) of the instances' pods; only Running and Ready pods with them are members. */
        @WithDefault("app=sluice")
        String podSelector();

        @WithDefault("15S")
        Duration leaseDuration();

        @WithDefault("10S")
        Duration renewDeadline();

        @WithDefault("2S")
        Duration retryPeriod();
    }
}
