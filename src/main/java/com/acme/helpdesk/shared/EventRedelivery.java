package com.acme.helpdesk.shared;

/**
 * How long after its publication an event can still be delivered to one of its listeners again (implemented by the
 * outbox, which resubmits incomplete publications and gives them up after a while). A listener's record of the
 * events it handled must be kept at least that long.
 */
public interface EventRedelivery {

	ReplayWindow window();
}
