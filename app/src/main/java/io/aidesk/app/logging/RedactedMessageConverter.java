package io.aidesk.app.logging;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.aidesk.api.privacy.Redaction;

/** %m with emails, IBANs, card and phone numbers masked: no log line keeps a customer's identifiers (logback-spring.xml). */
public class RedactedMessageConverter extends MessageConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return Redaction.mask(super.convert(event));
    }
}
