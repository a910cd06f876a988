package io.aidesk.app.demo;

import io.aidesk.api.tenancy.NotFoundException;
import io.aidesk.seed.DemoSite;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The demo tenants' help centers, served by AI Desk itself on its own address, so their sources sync through a real
 * HTTP crawl of loopback (which the demo profile allows the crawler).
 */
@RestController
@ConditionalOnProperty(name = DemoEnabled.SEED, havingValue = "true")
class DemoSiteController {
    private static final MediaType HTML = MediaType.parseMediaType("text/html; charset=utf-8");

    /** The home page answers with and without its trailing slash: the crawler normalises it away. A missing page is a problem. */
    @GetMapping(DemoSite.PATH + "{site}/**")
    ResponseEntity<byte[]> page(@PathVariable String site, HttpServletRequest request) {
        String base = DemoSite.PATH + site + "/";
        String uri = request.getRequestURI();
        return DemoSite.page(site, uri.length() < base.length() ? "" : uri.substring(base.length()), base)
                .map(page -> ResponseEntity.ok().contentType(HTML).body(page))
                .orElseThrow(() -> new NotFoundException("the page " + uri + " of the demo help center"));
    }

    /** The crawler reads these first; they keep it off the API and say there is no sitemap beyond the links. */
    @GetMapping(path = "/robots.txt", produces = MediaType.TEXT_PLAIN_VALUE)
    String robots() {
        return "User-agent: *\nDisallow: /api/\nDisallow: " + DemoSite.PATH + "*/internal/\n";
    }

    @GetMapping(path = "/sitemap.xml", produces = MediaType.APPLICATION_XML_VALUE)
    String sitemap() {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"></urlset>\n";
    }
}
