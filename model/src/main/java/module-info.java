/** Domain records, parsers of host output and planners. No I/O, no JavaFX, no dependencies. */
module dev.pgdeck.model {
    exports dev.pgdeck.model;
    exports dev.pgdeck.model.json;
    exports dev.pgdeck.model.wal;
    exports dev.pgdeck.model.backup;
    exports dev.pgdeck.model.zfs;
    exports dev.pgdeck.model.restic;
    exports dev.pgdeck.model.systemd;
    exports dev.pgdeck.model.metrics;
    exports dev.pgdeck.model.window;
    exports dev.pgdeck.model.health;
    exports dev.pgdeck.model.overview;
    exports dev.pgdeck.model.restore;
    exports dev.pgdeck.model.sql;
}
