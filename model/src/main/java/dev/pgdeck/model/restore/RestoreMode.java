package dev.pgdeck.model.restore;

/** In place replaces the instance's data (moved aside, never deleted); a drill restores into a scratch copy. */
public enum RestoreMode { IN_PLACE, DRILL }
