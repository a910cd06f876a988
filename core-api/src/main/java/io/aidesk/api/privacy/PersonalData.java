package io.aidesk.api.privacy;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A component of an event that holds a contact's personal data (their words, the replies to them, their field
 * values): it is stored sealed with that contact's key, so erasing the contact destroys it without editing an event.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD})
public @interface PersonalData {
    /** What a reader sees once the contact's key is destroyed. */
    String ERASED = "[erased]";
}
