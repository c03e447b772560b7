-- The mailbox owner's client signatures (issue 16): the default signature for new messages and for replies and
-- forwards, NULL for "(none)". isClientSignatureEnabledAsync answers from them; disableClientSignatureAsync sets
-- both to "(none)", as Outlook does for the sending account.
ALTER TABLE mailboxes ADD COLUMN signature_new_mail text;
ALTER TABLE mailboxes ADD COLUMN signature_reply text;
