package io.sluice.jdbc;

import io.agroal.api.AgroalDataSource;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;

import javax.sql.DataSource;

/**
 * Names the application's default datasource (quarkus.datasource.*) "default" for Camel endpoints such as
 * {@code jdbc:default}. Camel otherwise picks "the only DataSource", which breaks as soon as a second one exists.
 * The extra qualifier keeps this alias from competing with the datasource itself for plain injection.
 */
@ApplicationScoped
public class DefaultDataSourceBean {

    @Produces
    @Named("default")
    @Identifier("sluice-default-alias")
    DataSource defaultDataSource(AgroalDataSource dataSource) {
        return dataSource;
    }
}
