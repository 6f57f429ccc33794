/** Domain records, parsers of host output and planners. No I/O, no JavaFX, no dependencies. */
module dev.pgdeck.model {
    exports dev.pgdeck.model;
    exports dev.pgdeck.model.json;
    exports dev.pgdeck.model.wal;
    exports dev.pgdeck.model.backup;
}
