package io.aidesk.app.ratelimit;

import io.aidesk.api.RateLimitedException;
import io.aidesk.api.agentrun.AgentRunBudget;
import io.aidesk.api.tenancy.Caller;
import io.aidesk.app.problems.ProblemWriter;
import io.aidesk.app.security.CurrentCaller;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Per-tenant limits for the expensive requests: sync requests, agent runs and replays. Copilot drafts are counted here, as
 * requests; autopilot runs are counted when one starts (by handle-message or by a customer's message alike), through
 * {@link AgentRunBudget}, from the same budget. One tenant's flood gets 429 with Retry-After and never uses up another
 * tenant's budget.
 * <p>
 * "N a minute" means no 60 s window admits more than N, the first minute included. A token bucket (Bucket4j) cannot
 * say that and still let a quiet tenant send N at once: it admits its capacity plus its refill in any window, twice the
 * rate when both are N. So each tenant keeps the instants of its admitted requests of the last minute, at most N.
 * <p>
 * A request is counted by the route Spring MVC matched it to (its handler's pattern), so every spelling of a path that
 * reaches a handler ({@code %64raft-reply}, {@code s%79nc}, {@code ;param}) counts as its plain spelling does.
 */
@Configuration(proxyBeanMethods = false)
public class TenantRateLimiter implements HandlerInterceptor, WebMvcConfigurer, AgentRunBudget {
    private static final long MINUTE = Duration.ofMinutes(1).toNanos();

    /** One limited kind of request: which POST routes it covers and how many a tenant may send a minute. */
    private record Limit(String what, Set<String> routes, int perMinute, Map<String, Window> windows) {
        Limit(String what, int perMinute, String... routes) {
            this(what, Set.of(routes), perMinute, new ConcurrentHashMap<>());
        }

        /** @return 0 when the tenant had budget left, else the nanoseconds until it has again */
        long admit(String tenant) {
            return windows.computeIfAbsent(tenant, t -> new Window()).admit(System.nanoTime(), perMinute);
        }
    }

    /** When a tenant's requests of the last minute were admitted, oldest first. */
    private static final class Window {
        private final ArrayDeque<Long> admitted = new ArrayDeque<>();

        synchronized long admit(long now, int perMinute) {
            while (!admitted.isEmpty() && now - admitted.peekFirst() >= MINUTE) {
                admitted.pollFirst();
            }
            if (admitted.size() < perMinute) {
                admitted.addLast(now);
                return 0;
            }
            return admitted.peekFirst() + MINUTE - now;
        }
    }

    private final ProblemWriter problems;
    private final Limit syncs;
    private final Limit agentRuns;
    private final Limit replays;

    public TenantRateLimiter(ProblemWriter problems,
                             @Value("${aidesk.rate-limits.sync-requests-per-minute:30}") int syncsPerMinute,
                             @Value("${aidesk.rate-limits.agent-runs-per-minute:120}") int runsPerMinute,
                             @Value("${aidesk.rate-limits.replays-per-minute:5}") int replaysPerMinute) {
        this.problems = problems;
        this.syncs = new Limit("sync requests", syncsPerMinute, "/api/ai/kb/sources", "/api/ai/kb/sources/{id}/sync");
        this.agentRuns = new Limit("agent runs", runsPerMinute, "/api/ai/assist/draft-reply");
        this.replays = new Limit("replays", replaysPerMinute, "/api/ai/replays");
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this);
    }

    @Override
    public void acquire(String tenantId) {
        long waitSeconds = consume(agentRuns, tenantId);
        if (waitSeconds > 0) {
            throw new RateLimitedException(refusal(agentRuns, waitSeconds), waitSeconds);
        }
    }

    /** @return 0 when the tenant had budget left, else the whole seconds until it has again */
    private static long consume(Limit limit, String tenant) {
        long nanos = limit.admit(tenant);
        return nanos == 0 ? 0 : Math.max(1, (nanos + 999_999_999) / 1_000_000_000);
    }

    private static String refusal(Limit limit, long seconds) {
        return "your tenant may send " + limit.perMinute() + " " + limit.what() + " a minute; try again in " + seconds
                + " s";
    }

    private Optional<Limit> limitOf(HttpServletRequest request) {
        // the pattern of the handler Spring MVC matched, after it decoded and normalised the path
        Object route = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        if (!"POST".equals(request.getMethod()) || !(route instanceof String pattern)) {
            return Optional.empty();
        }
        return Stream.of(syncs, agentRuns, replays).filter(limit -> limit.routes().contains(pattern)).findFirst();
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws IOException {
        Optional<Caller> caller = CurrentCaller.get();
        Optional<Limit> limit = limitOf(request);
        if (caller.isEmpty() || limit.isEmpty()) {
            return true;
        }
        long seconds = consume(limit.get(), caller.get().tenantId().value());
        if (seconds == 0) {
            return true;
        }
        response.setHeader("Retry-After", Long.toString(seconds));
        problems.write(request, response, HttpStatus.TOO_MANY_REQUESTS, "Too many " + limit.get().what(),
                refusal(limit.get(), seconds));
        return false;
    }
}
