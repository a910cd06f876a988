package io.aidesk.seed;

/** A customer in the tenant's built-in CRM with a subscription to plan; the email is what finds it again. */
public record DemoContact(String name, String email, String phone, String plan) {
}
