/** Everything that talks to the outside: host commands (local and SSH), JDBC, the sandbox host, PostHog, the warehouse. */
module dev.pgdeck.remote {
    requires transitive dev.pgdeck.model;
    requires transitive java.sql;
    requires org.postgresql.jdbc;
    requires com.zaxxer.hikari;
    requires com.hierynomus.sshj;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.datatype.jsr310;
    requires org.slf4j;
    requires java.net.http;
    requires flyway.core;
    requires jdk.security.auth;
    requires org.apache.commons.compress;

    exports dev.pgdeck.remote.host;
    exports dev.pgdeck.remote.pg;
    exports dev.pgdeck.remote.sandbox;
    exports dev.pgdeck.remote.probe;
    exports dev.pgdeck.remote.json;
    exports dev.pgdeck.remote.ssh;
    exports dev.pgdeck.remote.posthog;
    exports dev.pgdeck.remote.ingest;
    exports dev.pgdeck.remote.warehouse;
    exports dev.pgdeck.remote.secret;
    exports dev.pgdeck.remote.hosts;
    exports dev.pgdeck.remote.charts;
    exports dev.pgdeck.remote.restore;
    exports dev.pgdeck.remote.drill;

    opens dev.pgdeck.remote.sandbox to com.fasterxml.jackson.databind;
    opens dev.pgdeck.remote.hosts to com.fasterxml.jackson.databind;
    opens dev.pgdeck.remote.restore to com.fasterxml.jackson.databind;
    opens dev.pgdeck.remote.drill to com.fasterxml.jackson.databind;
}
