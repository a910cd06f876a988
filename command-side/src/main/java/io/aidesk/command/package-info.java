/** The write side: aggregates that decide, the tool registry, CRM action adapters and the command REST API. */
package io.aidesk.command;
