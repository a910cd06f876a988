package io.aidesk.app.problems;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.stereotype.Component;

import java.io.IOException;

/**
 * Spring Security's firewall refuses a URL (a ';', '//', an encoded '%', '.' or '\') or a header with characters it
 * may not hold: a 400 problem saying which, where its default handler's bare sendError left Boot's error JSON.
 * WebSecurity uses the one bean of this type it finds.
 */
@Component
class ProblemRequestRejectedHandler implements RequestRejectedHandler {
    private final ProblemWriter problems;

    ProblemRequestRejectedHandler(ProblemWriter problems) {
        this.problems = problems;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException e)
            throws IOException {
        problems.write(request, response, HttpStatus.BAD_REQUEST, "Request rejected", e.getMessage());
    }
}
