package com.acme.helpdesk.notifications;

import java.util.Locale;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import com.acme.helpdesk.outbound.MerchantShareTakenException;
import com.acme.helpdesk.outbound.OutboundRefusedException;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

/**
 * Every delivery attempt over a channel (a notification, or a digest's mail or webhook) is the observation
 * {@code helpdesk.notifications.delivery}, tags {@code channel} ({@code in_app}, {@code email}, {@code webhook}) and
 * {@code outcome} ({@code sent}; {@code failed}, retried by the queue; {@code refused}, the merchant's URL leads where
 * it may not; {@code postponed}, the merchant holds its share of the workers): its timer counts deliveries by channel
 * and outcome, its span is the mail or the webhook in the trace of the job that delivers it.
 */
@Component
class Deliveries {

	static final String OBSERVATION = "helpdesk.notifications.delivery";

	private final ObservationRegistry observations;

	Deliveries(ObjectProvider<ObservationRegistry> observations) {
		this.observations = observations.getIfAvailable(() -> ObservationRegistry.NOOP);
	}

	void deliver(Channel channel, Runnable delivery) {
		var name = channel.name().toLowerCase(Locale.ROOT);
		var observation = Observation.createNotStarted(OBSERVATION, observations)
			.contextualName("deliver " + name)
			.lowCardinalityKeyValue("channel", name)
			.start();
		var outcome = "failed";
		try (var scope = observation.openScope()) {
			delivery.run();
			outcome = "sent";
		}
		catch (MerchantShareTakenException e) {
			outcome = "postponed";
			throw e;
		}
		catch (OutboundRefusedException e) {
			outcome = "refused";
			observation.error(e);
			throw e;
		}
		catch (RuntimeException | Error e) {
			observation.error(e);
			throw e;
		}
		finally {
			observation.lowCardinalityKeyValue("outcome", outcome).stop();
		}
	}
}
