package io.sluice.alert;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** GET /api/alerts: the alerts firing now (behind the management API's token, like every /api call). */
@Path("/api/alerts")
@Produces(MediaType.APPLICATION_JSON)
public class AlertsResource {

    @Inject
    Alerts alerts;

    @GET
    public List<Alerts.AlertView> firing() {
        return alerts.firing();
    }
}
