package com.acme.helpdesk.outbox;

import java.time.Duration;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * A step of the shutdown ({@code shared.ShutdownOrder}): waits until the asynchronous event listeners' executor has
 * nothing queued and nothing running, for at most {@code spring.task.execution.shutdown.await-termination-period}.
 * It keeps taking deliveries meanwhile (Spring Boot's {@code await-termination} makes it accept them until it is
 * destroyed), so what a request or a job hands it while the process stops still runs here.
 */
final class ListenerDrain implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(ListenerDrain.class);
	private static final long CHECK_NANOS = Duration.ofMillis(20).toNanos();

	private final String step;
	private final int phase;
	private final Supplier<ThreadPoolTaskExecutor> listeners;
	private final Duration bound;
	private volatile boolean running;

	ListenerDrain(String step, int phase, Supplier<ThreadPoolTaskExecutor> listeners, Duration bound) {
		this.step = step;
		this.phase = phase;
		this.listeners = listeners;
		this.bound = bound;
	}

	@Override
	public void start() {
		running = true;
	}

	@Override
	public void stop() {
		running = false;
		var executor = listeners.get();
		if (executor == null) {
			return;
		}
		var pool = executor.getThreadPoolExecutor();
		var deadline = System.nanoTime() + bound.toNanos();
		// idle twice in a row: a worker that has just taken a task from the queue is not counted active yet
		var idleChecks = 0;
		while (idleChecks < 2 && deadline - System.nanoTime() > 0) {
			idleChecks = pool.getQueue().isEmpty() && pool.getActiveCount() == 0 ? idleChecks + 1 : 0;
			if (idleChecks < 2) {
				java.util.concurrent.locks.LockSupport.parkNanos(CHECK_NANOS);
			}
		}
		if (idleChecks < 2) {
			log.warn("Listeners {}: {} running and {} queued after {}; going on", step, pool.getActiveCount(),
					pool.getQueue().size(), bound);
		}
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	@Override
	public int getPhase() {
		return phase;
	}
}
