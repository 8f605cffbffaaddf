/**
 * Calls to addresses a merchant configured (webhooks, the enrichment endpoint): {@link com.acme.helpdesk.outbound.OutboundCalls}
 * checks such a URL when it is saved, and at call time resolves its host, checks every address against the ranges a
 * tenant may not reach (loopback, private, link-local, ...) unless {@code helpdesk.outbound.allow} lets it, connects to
 * a checked address, signs the request (Standard Webhooks), bounds the whole exchange and the answer, and keeps one
 * merchant to its share of a queue's workers.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Outbound calls")
package com.acme.helpdesk.outbound;
