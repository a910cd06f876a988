package io.aidesk.app.logging;

import ch.qos.logback.classic.spi.IThrowableProxy;
import org.springframework.boot.logging.logback.ExtendedWhitespaceThrowableProxyConverter;
import io.aidesk.api.privacy.Redaction;

/** Boot's %wEx with the same masking: an exception's message (a failed INSERT, say) may quote a customer. */
public class RedactedThrowableConverter extends ExtendedWhitespaceThrowableProxyConverter {
    @Override
    protected String throwableProxyToString(IThrowableProxy proxy) {
        return Redaction.mask(super.throwableProxyToString(proxy));
    }
}
