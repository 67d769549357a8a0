/**
 * Alerts on links (the DTS console's alert rules): "link failed" and "lag above threshold", evaluated every few
 * seconds over what the control plane shows of each link, POSTed to a webhook while firing and once resolved, and
 * listed by GET /api/alerts. Settings: {@code sluice.alerts.*} ({@link io.sluice.alert.AlertsConfig}).
 */
package io.sluice.alert;
