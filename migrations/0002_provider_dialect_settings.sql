ALTER TABLE `providers` ADD `demote_nonstreaming` integer;--> statement-breakpoint
ALTER TABLE `providers` ADD `responses_api` integer;