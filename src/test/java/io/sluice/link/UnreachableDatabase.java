package io.sluice.link;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import org.mariadb.jdbc.MariaDbDataSource;

import javax.sql.DataSource;
import java.sql.SQLException;

/** A data source whose server is down (nothing listens on port 1), for the readiness test. */
@ApplicationScoped
public class UnreachableDatabase {

    @Produces
    @Named("unreachableDb")
    @io.smallrye.common.annotation.Identifier("unreachableDb")
    DataSource unreachableDb() throws SQLException {
        return new MariaDbDataSource("jdbc:mariadb://127.0.0.1:1/none?connectTimeout=500&user=x&password=y");
    }
}
