/** AgentRunSaga and the policy that turns a model decision into allowed actions (issue 5). */
package io.aidesk.saga;
