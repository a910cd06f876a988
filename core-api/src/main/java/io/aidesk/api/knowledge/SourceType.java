package io.aidesk.api.knowledge;

/** Where a knowledge source's documents come from. */
public final class SourceType {
    public static final String URL = "url";
    public static final String FILE = "file";

    private SourceType() {
    }
}
