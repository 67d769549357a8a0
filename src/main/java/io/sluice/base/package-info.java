/**
 * What every source and sink shares: the record a batch source hands on ({@link io.sluice.base.SourceRecord}), batch
 * exchanges, the one retry backoff, the halt that stops a link ({@link io.sluice.base.LinkHaltException}), the stop
 * budget, error descriptions and secret masking, each link's counters and run log, and the capabilities an endpoint
 * offers the control plane (precheck, preview, dirty records, merge SQL).
 *
 * <p>Rule: no source or sink imports {@code io.sluice.link}. Where a component needs the control plane, the
 * control plane implements an interface declared here.
 */
package io.sluice.base;
