package com.acme.helpdesk.outbox;

import org.springframework.stereotype.Component;

import com.acme.helpdesk.shared.EventRedelivery;
import com.acme.helpdesk.shared.ReplayWindow;

/**
 * An event reaches a listener again only from its incomplete publication: resubmitted by the recurring job, at a
 * restart or by hand, until the publication is given up {@code purge-incomplete-older-than} after it was published.
 * The last resubmission may still wait for a listener thread: at most {@code resubmit-older-than}, which is longer
 * than a listener's worst queueing plus run time.
 */
@Component
class OutboxRedelivery implements EventRedelivery {

	private final ReplayWindow window;

	OutboxRedelivery(OutboxProperties properties) {
		this.window = new ReplayWindow("an event can reach a listener again",
				properties.purgeIncompleteOlderThan().plus(properties.resubmitOlderThan()),
				"helpdesk.outbox.purge-incomplete-older-than (%s) + helpdesk.outbox.resubmit-older-than (%s)"
					.formatted(ReplayWindow.format(properties.purgeIncompleteOlderThan()),
							ReplayWindow.format(properties.resubmitOlderThan())));
	}

	@Override
	public ReplayWindow window() {
		return window;
	}
}
