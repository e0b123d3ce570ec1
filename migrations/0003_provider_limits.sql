ALTER TABLE `providers` ADD `max_body_bytes` integer;--> statement-breakpoint
ALTER TABLE `providers` ADD `max_messages` integer;