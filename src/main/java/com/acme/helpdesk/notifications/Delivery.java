package com.acme.helpdesk.notifications;

/** When an agent gets notifications of one type: at once, or collected into the next digest. */
public enum Delivery {
	IMMEDIATE, DIGEST
}
