package io.aidesk.app.problems;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Collections;

/**
 * Refuses requests whose headers exceed aidesk.http.max-header-bytes with a 431 problem. Tomcat reads headers up to
 * server.max-http-request-header-size, well above this: when Tomcat refused them itself it closed the connection
 * while the client was still sending, and the reset often destroyed its answer before the client read it.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class HeaderSizeFilter extends OncePerRequestFilter {
    private final ProblemWriter problems;
    private final int maxHeaderBytes;

    public HeaderSizeFilter(ProblemWriter problems, @Value("${aidesk.http.max-header-bytes:8192}") int maxHeaderBytes) {
        this.problems = problems;
        this.maxHeaderBytes = maxHeaderBytes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long bytes = 0;
        String largest = null;
        long largestBytes = 0;
        for (String name : Collections.list(request.getHeaderNames())) {
            for (String value : Collections.list(request.getHeaders(name))) {
                // a header line: name, ": ", value, CRLF
                long line = name.length() + 2L + value.length() + 2L;
                bytes += line;
                if (line > largestBytes) {
                    largestBytes = line;
                    largest = name;
                }
            }
        }
        if (bytes > maxHeaderBytes) {
            problems.write(request, response, HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "Request header fields too large",
                    "the request's headers take " + bytes + " bytes (the largest, " + largest + ", " + largestBytes
                            + "); at most " + maxHeaderBytes + " are accepted");
            return;
        }
        chain.doFilter(request, response);
    }
}
