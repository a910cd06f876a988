package io.aidesk.api.tenancy;

import java.util.regex.Pattern;

/** Record ids in paths: AI Desk makes them UUIDs, so anything else names nothing (404, never a 400 that hints). */
public final class Ids {
    private static final Pattern UUID = Pattern.compile("[0-9a-f-]{36}");

    private Ids() {
    }

    public static boolean wellFormed(String id) {
        return id != null && UUID.matcher(id).matches();
    }

    /** @throws NotFoundException naming what was looked for, when the id cannot be one of ours */
    public static String known(String id, String what) {
        if (!wellFormed(id)) {
            throw new NotFoundException(what);
        }
        return id;
    }
}
