package com.acme.helpdesk.tickets;

public enum Priority {
	LOW, MEDIUM, HIGH, URGENT
}
