/**
 * The control plane: the link lifecycle over Camel's route controller ({@link io.sluice.link.Links}), the
 * management API and its token, route definitions and kamelets, rules across links, start retries, the bounded
 * shutdown, health and the translation of Camel's events into each link's counters and run log.
 *
 * <p>Rule: no source or sink imports {@code io.sluice.link}; they share {@code io.sluice.base} with it, and it
 * reaches them only through the capabilities declared there.
 */
package io.sluice.link;
