package io.aidesk.command.crm;

import io.aidesk.command.tools.ToolCall;

import java.util.Map;

/**
 * Where a checked tool call acts: the built-in CRM (aidesk.crm.adapter=builtin, the default) or the host CRM's REST
 * API (http). Both refuse a call they may not run with InvalidToolCallException and change nothing then.
 */
public interface CrmActions {
    Map<String, Object> perform(ToolCall call);
}
