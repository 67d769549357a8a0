package io.sluice.cluster;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The name of a link's election is that of its Kubernetes Lease ({@code leaders-<name>}, as camel-kubernetes names it):
 * it must be a valid Kubernetes name as it is, because Camel silently changes an invalid one (lower case, other
 * characters to dashes, leading and trailing dashes cut off), and two links whose names Camel makes equal would share
 * one Lease: one of them would run on an instance that did not win its election.
 */
class LinkElectionNamesTest {

    /** A DNS subdomain name (RFC 1123), what the API server accepts as a Lease's name. */
    private static final String KUBERNETES_NAME = "[a-z0-9]([-a-z0-9.]*[a-z0-9])?";

    @Test
    void everyLinkIdGivesItsOwnValidLeaseName() {
        List<String> ids = List.of("cdc-orders", "cdc_orders", "CDC-orders", "cdc.orders", "cdc-orders-",
                "cdc-orders--", "-cdc-orders", "_", "-", "x", "orders_2024.v2", "Ünïcode-link", "a".repeat(300),
                "a".repeat(300) + "b");
        Map<String, String> idByLease = new HashMap<>();
        for (String id : ids) {
            String lease = "leaders-" + LinkElection.viewName(id);
            assertTrue(lease.matches(KUBERNETES_NAME), "link " + id + ": Lease name " + lease);
            assertTrue(lease.length() <= 253, "link " + id + ": Lease name of " + lease.length() + " characters");
            assertNull(idByLease.put(lease, id), "links " + id + " and " + idByLease.get(lease) + " share Lease " + lease);
        }
    }

    @Test
    void aPlainIdIsKeptAsItIs() {
        // so that an operator finds the Lease of link cdc-orders by its name
        assertEquals("link-cdc-orders", LinkElection.viewName("cdc-orders"));
        assertEquals("link-cdc-orders-" + Integer.toHexString("cdc_orders".hashCode()),
                LinkElection.viewName("cdc_orders"));
    }
}
