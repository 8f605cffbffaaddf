package com.acme.helpdesk.sla;

/** A clock runs, is paused (ticket {@code PENDING}) or has stopped (reply, resolve, close). */
public enum ClockState {
	RUNNING, PAUSED, STOPPED
}
