package io.sluice.sls;

import com.aliyun.openservices.log.Client;
import com.aliyun.openservices.log.common.ConsumerGroup;
import com.aliyun.openservices.log.common.ConsumerGroupShardCheckPoint;
import com.aliyun.openservices.log.exception.LogException;
import io.sluice.base.SecretMasker;
import io.sluice.state.CheckpointStore.Checkpoint;
import io.sluice.state.CheckpointStore.Part;
import org.apache.camel.Processor;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An SLS link reading through a consumer group ({@code consumerGroup}): SLS spreads the logstore's shards over every
 * consumer of the group (Sluice instances, or links, reading it) and keeps each shard's checkpoint. The poll loop,
 * batches and commit-after-the-sink are {@link SlsConsumer}'s; this class only changes which shards are read, where a
 * shard starts and where its position is kept.
 *
 * <p>Built on the SDK's own consumer-group calls ({@code HeartBeat}, {@code UpdateCheckPoint}, {@code GetCheckPoint},
 * {@code CreateConsumerGroup}) rather than Aliyun's loghub client library: the library's {@code ClientWorker} hands each
 * shard's log groups to a processor on its own thread, one shard at a time, which would give up the cross-shard
 * batches, and the only version this project's registry offers (0.6.33) builds its own SDK client without a proxy or
 * client hook, so it can reach neither the local SLS server nor an SLS behind an HTTP proxy.
 *
 * <p>The protocol, as the library keeps it: a heartbeat every {@code heartbeatIntervalMs} names the shards this
 * consumer reads and is answered with the shards it should read. A shard taken away is dropped between two batches,
 * after the batch before it was written by the sink and its checkpoint committed to the group, and the next
 * heartbeat no longer names it, which lets SLS hand it on. A newly given shard starts at the group's checkpoint, or
 * at the link's start time when the group has none. A consumer that has not reached SLS for the group's timeout drops
 * its shards itself, since SLS has handed them on by then.
 */
final class SlsGroupConsumer extends SlsConsumer {

    private static final Logger LOG = Logger.getLogger(SlsGroupConsumer.class);

    private final SlsEndpoint endpoint;
    private final SlsOptions options;
    private final String group;
    /** This consumer's name in the group, known once the link's route id is: {@link #open}. */
    private volatile String consumer;
    /** What the last heartbeat answered: the shards this consumer should read. */
    private volatile Set<Integer> assigned = Set.of();
    /** The shards the poll loop reads now (what heartbeats report). */
    private volatile Set<Integer> held = Set.of();
    /** The shards being positioned by the current {@link #refreshShards}. */
    private Set<Integer> taking = Set.of();
    /** The checkpoint last committed to the group, per shard read now. */
    private final Map<Integer, String> committed = new HashMap<>();
    private volatile ScheduledExecutorService heartbeats;
    private volatile long lastHeartbeat;
    private volatile boolean heartbeatFailing;

    SlsGroupConsumer(SlsEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.options = endpoint.getOptions();
        this.group = options.getConsumerGroup();
    }

    @Override
    protected void doStop() throws Exception {
        // the poll loop finishes and commits its batch first; then the heartbeats stop and SLS hands this consumer's
        // shards to the group's other consumers after the group's timeout (SLS has no call to leave a group)
        super.doStop();
        if (heartbeats != null) {
            heartbeats.shutdownNow();
            heartbeats = null;
        }
    }

    /** Joins the group (creating it when missing) and reads the shards the first heartbeat gives. */
    @Override
    void open() throws LogException {
        consumer = options.consumerName(link());
        ensureGroup();
        checkpoint = new Checkpoint("consumerGroup=" + group, endpoint.describe());
        committed.clear();
        shards.clear();
        held = Set.of();
        heartbeat();
        if (heartbeats == null && isRunning()) {
            heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "sluice-sls-heartbeat-" + link());
                t.setDaemon(true);
                return t;
            });
            heartbeats.scheduleWithFixedDelay(this::heartbeatQuietly, options.getHeartbeatIntervalMs(),
                    options.getHeartbeatIntervalMs(), TimeUnit.MILLISECONDS);
        }
        refreshShards();
        stats().runLog().add("start-offset", "joined consumer group '" + group + "' of " + endpoint.describe()
                + " as consumer '" + consumer + "'; each shard it is given starts at the group's checkpoint, or at "
                + options.startTimeOr("its beginning") + " when the group has none");
    }

    private void ensureGroup() throws LogException {
        Client client = endpoint.client();
        int timeout = options.getConsumerGroupTimeout();
        ConsumerGroup found = null;
        for (ConsumerGroup g : client.ListConsumerGroup(options.getProject(), endpoint.getLogstore()).GetConsumerGroups()) {
            if (g.getConsumerGroupName().equals(group)) {
                found = g;
            }
        }
        if (found == null) {
            try {
                client.CreateConsumerGroup(options.getProject(), endpoint.getLogstore(), new ConsumerGroup(group, timeout, false));
                stats().runLog().add("consumer-group", "created consumer group '" + group + "' (timeout " + timeout + " s)");
            } catch (LogException e) {
                // ConsumerGroupAlreadyExist: another instance created it at the same moment, which is as good
                if (!"ConsumerGroupAlreadyExist".equals(e.GetErrorCode())) {
                    throw e;
                }
            }
        } else if (found.getTimeout() != timeout) {
            // the group is shared: its timeout is the last joiner's, as with Aliyun's consumer library
            client.UpdateConsumerGroup(options.getProject(), endpoint.getLogstore(), group, found.isInOrder(), timeout);
            stats().runLog().add("consumer-group", "consumer group '" + group + "': timeout changed from "
                    + found.getTimeout() + " to " + timeout + " s");
        }
    }

    private void heartbeat() throws LogException {
        List<Integer> given = endpoint.client().HeartBeat(options.getProject(), endpoint.getLogstore(), group,
                consumer, new ArrayList<>(held)).getShards();
        lastHeartbeat = System.currentTimeMillis();
        assigned = Set.copyOf(given);
        if (heartbeatFailing) {
            heartbeatFailing = false;
            stats().runLog().add("consumer-group", "heartbeats to consumer group '" + group + "' go through again");
        }
        if (!assigned.equals(held)) {
            lastRefresh = 0; // the poll loop takes up or drops shards before its next pull
        }
    }

    private void heartbeatQuietly() {
        if (!isRunning()) {
            return; // stopping: a heartbeat now would hold the shards for another timeout
        }
        try {
            heartbeat();
        } catch (LogException e) {
            String message = SecretMasker.maskText(SlsErrors.describe(endpoint, e));
            if (!heartbeatFailing) {
                heartbeatFailing = true;
                stats().runLog().add("consumer-group", "heartbeat to consumer group '" + group + "' failed: " + message);
            }
            LOG.warnf("link %s: heartbeat to consumer group '%s' failed: %s", link(), group, message);
            if ("ConsumerGroupNotExist".equals(e.GetErrorCode())) {
                try {
                    ensureGroup(); // deleted while the link ran: join it again, its checkpoints are gone
                } catch (LogException again) {
                    LOG.warnf("link %s: consumer group '%s' cannot be created again: %s", link(), group,
                            SecretMasker.maskText(SlsErrors.describe(endpoint, again)));
                }
            }
            if (System.currentTimeMillis() - lastHeartbeat > options.getConsumerGroupTimeout() * 1000L
                    && !assigned.isEmpty()) {
                // SLS has given this consumer's shards to others by now: stop reading them rather than twice
                assigned = Set.of();
                lastRefresh = 0;
                stats().runLog().add("consumer-group", "no heartbeat reached SLS for the group's timeout ("
                        + options.getConsumerGroupTimeout() + " s): shards released until it does again");
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "link %s: heartbeat to consumer group '%s' failed", link(), group);
        }
    }

    /**
     * Applies the last heartbeat's answer, between two batches (the batch before has been written and committed):
     * drops the shards taken away, positions the shards given, then reads the shard list as the plain reader does.
     */
    @Override
    void refreshShards() throws LogException {
        taking = assigned;
        checkpoint.parts.keySet().removeIf(k -> !taking.contains(Integer.parseInt(k)));
        committed.keySet().retainAll(taking);
        super.refreshShards();
        Set<Integer> reading = new TreeSet<>();
        checkpoint.parts.keySet().forEach(k -> reading.add(Integer.parseInt(k)));
        if (!reading.equals(held)) {
            stats().runLog().add("consumer-group", "reads shard(s) " + reading + " of " + endpoint.getLogstore()
                    + " in consumer group '" + group + "' as consumer '" + consumer + "'");
        }
        held = Set.copyOf(reading);
    }

    @Override
    boolean reads(int shard) {
        return taking.contains(shard);
    }

    /** The group's checkpoint of the shard wins; without one the shard starts at the link's start time. */
    @Override
    String startCursor(Client client, int shard) throws LogException {
        List<ConsumerGroupShardCheckPoint> saved = client.GetCheckPoint(options.getProject(), endpoint.getLogstore(),
                group, shard).getCheckPoints();
        for (ConsumerGroupShardCheckPoint c : saved) {
            if (c.getShard() == shard && c.getCheckPoint() != null && !c.getCheckPoint().isEmpty()) {
                committed.put(shard, c.getCheckPoint());
                return c.getCheckPoint();
            }
        }
        return super.startCursor(client, shard);
    }

    /**
     * Commits each shard's cursor that moved to the group (called after the sink wrote the batch). A failed commit is
     * tried again with the next batch; if the shard went to another consumer meanwhile, it reads from the group's
     * last checkpoint, so logs are at worst read twice, never lost.
     */
    @Override
    void save() {
        for (Map.Entry<String, Part> e : checkpoint.parts.entrySet()) {
            int shard = Integer.parseInt(e.getKey());
            String next = e.getValue().next;
            if (next == null || next.equals(committed.get(shard))) {
                continue;
            }
            try {
                endpoint.client().UpdateCheckPoint(options.getProject(), endpoint.getLogstore(), group, consumer,
                        shard, next);
                committed.put(shard, next);
            } catch (LogException ex) {
                String code = ex.GetErrorCode();
                String message = SecretMasker.maskText(SlsErrors.describe(endpoint, ex));
                if ("ConsumerNotMatch".equals(code) || "ConsumerNotExist".equals(code) || "ShardNotExist".equals(code)) {
                    // the shard is no longer this consumer's: drop it before the next pull
                    Set<Integer> left = new TreeSet<>(assigned);
                    left.remove(shard);
                    assigned = Set.copyOf(left);
                    lastRefresh = 0;
                    stats().runLog().add("consumer-group", "shard " + shard + " left this consumer: " + message);
                } else {
                    LOG.warnf("link %s: checkpoint of shard %d to consumer group '%s' failed, tried again with the "
                            + "next batch: %s", link(), shard, group, message);
                }
            }
        }
    }
}
