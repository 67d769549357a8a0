package io.sluice.change;

/** What a change event did. A snapshot (full-load) row is an INSERT with {@link SourcePosition#snapshot()} set. */
public enum Operation {
    INSERT, UPDATE, DELETE, DDL
}
