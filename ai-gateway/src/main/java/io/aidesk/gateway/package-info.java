/** The model ports, DecisionModel and EmbeddingModel, with an OpenAI adapter and an offline adapter (issue 4). Only this module imports com.openai. */
package io.aidesk.gateway;
