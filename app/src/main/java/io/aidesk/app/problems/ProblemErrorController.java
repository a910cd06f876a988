package io.aidesk.app.problems;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;

/**
 * Tomcat's error page for everything Spring MVC did not answer itself (a URL Tomcat refused, an error from a filter, a
 * sendError): a problem in place of Boot's default JSON or HTML. Declaring an ErrorController switches Boot's off.
 */
@RestController
@Hidden // not an operation of the API: the fuzz suite and clients read /v3/api-docs
class ProblemErrorController implements ErrorController {

    @RequestMapping("${server.error.path:${error.path:/error}}")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String path = uri == null ? request.getRequestURI() : uri.toString();
        HttpStatus status = code instanceof Integer value ? HttpStatus.resolve(value) : null;
        if (status == null || !status.isError()) {
            // the error page asked for directly, not as Tomcat's forward: there is nothing here
            status = HttpStatus.NOT_FOUND;
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail(request, status, path));
        problem.setTitle(status.getReasonPhrase());
        problem.setInstance(safeUri(path));
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    private static String detail(HttpServletRequest request, HttpStatus status, String path) {
        if (status.is5xxServerError()) {
            return "AI Desk could not complete the request; the error is logged with its correlation id";
        }
        Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        Object exception = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        String reason = message != null && !message.toString().isBlank() ? message.toString()
                : exception instanceof Throwable thrown && thrown.getMessage() != null ? thrown.getMessage() : null;
        if (reason != null) {
            return reason;
        }
        return status == HttpStatus.NOT_FOUND ? "nothing at " + path : status.getReasonPhrase() + " at " + path;
    }

    static URI safeUri(String path) {
        try {
            return URI.create(path);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
