package io.aidesk.app.fuzz;

import java.util.Map;

/**
 * One request the fuzzer sends, with what it is meant to probe.
 *
 * @param operation  the documented operation, "POST /api/ai/kb/sources"
 * @param caller     who sends it: a role of the attacking tenant, "no token" or a forged token's kind
 * @param input      the kind of input, the cause a failure is grouped under
 * @param detail     what exactly was sent, for the report
 * @param target     path and query exactly as they go on the wire
 * @param raw        sent over a plain socket (java.net.http would refuse or repair it)
 * @param mustRefuse why the API must refuse this request (a 2xx is then a failure too), or null
 */
record FuzzRequest(String operation, String caller, String input, String detail, String method, String target,
                   Map<String, String> headers, byte[] body, boolean raw, String mustRefuse) {
}
