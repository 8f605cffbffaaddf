package com.acme.helpdesk.assignment;

public enum Availability {
	ONLINE, AWAY, OFFLINE
}
