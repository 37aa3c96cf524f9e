import type { HearthInputs } from '@hearth/client';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import {
  Button,
  Dialog,
  DialogTrigger,
  Form,
  Heading,
  Label,
  Modal,
  Radio,
  RadioGroup,
} from 'react-aria-components';
import { useHearthClient } from '../context.js';
import { ErrorText, fieldErrorsOf } from '../errors.js';
import { Field } from '../fields.js';

export type ReportTarget = HearthInputs['safeguarding']['reports']['create']['target'];
type Reason = HearthInputs['safeguarding']['reports']['create']['reason'];

/** Why someone reports, in words a young person would use. */
export const reportReasonLabels: Record<Reason, string> = {
  self_harm: 'Someone might hurt themselves',
  abuse: 'Someone is being hurt or abused',
  grooming: "Someone is asking for things that don't feel right (like photos or meeting up)",
  bullying: 'Bullying or threats',
  personal_details: 'Sharing personal details (phone, address, school)',
  offensive: 'Offensive or hateful',
  spam: 'Spam',
  other: 'Something else',
};

export interface ReportButtonProps {
  target: ReportTarget;
  /** What is reported, for the button's accessible name, e.g. "message from Jo". */
  subject: string;
  /** The button's visible words. @default 'Report' */
  label?: string;
}

/** Report something written, or a person, to the moderators; the report is private. */
export function ReportButton({ target, subject, label = 'Report' }: ReportButtonProps) {
  const client = useHearthClient();
  const [reason, setReason] = useState<Reason | null>(null);
  const report = useMutation({
    mutationFn: (input: HearthInputs['safeguarding']['reports']['create']) =>
      client.safeguarding.reports.create.mutate(input),
  });
  return (
    <DialogTrigger
      onOpenChange={(open) => {
        if (open) return;
        report.reset();
        setReason(null);
      }}
    >
      <Button
        className="hearth-button hearth-button-quiet hearth-report"
        aria-label={`Report ${subject}`}
      >
        {label}
      </Button>
      <Modal className="hearth-modal" isDismissable>
        <Dialog className="hearth-dialog">
          {({ close }) =>
            report.isSuccess ? (
              <div className="hearth-stack">
                <Heading slot="title">Thank you for telling us</Heading>
                <p role="status">
                  A member of our team will look at this. The person you reported won't know it was
                  you.
                </p>
                <Button className="hearth-button hearth-button-primary" onPress={close} autoFocus>
                  Close
                </Button>
              </div>
            ) : (
              <Form
                className="hearth-form"
                validationErrors={fieldErrorsOf(report.error)}
                onSubmit={(event) => {
                  event.preventDefault();
                  if (!reason) return;
                  const note = String(new FormData(event.currentTarget).get('note') ?? '').trim();
                  report.mutate({ target, reason, ...(note ? { note } : {}) });
                }}
              >
                <Heading slot="title">Report {subject}</Heading>
                <RadioGroup
                  className="hearth-field hearth-radio-group"
                  value={reason}
                  onChange={(value) => setReason(value as Reason)}
                  isRequired
                >
                  <Label>What's wrong?</Label>
                  {Object.entries(reportReasonLabels).map(([value, label]) => (
                    <Radio key={value} value={value}>
                      {label}
                    </Radio>
                  ))}
                </RadioGroup>
                <Field
                  label="Anything else we should know? (optional)"
                  name="note"
                  multiline
                  rows={3}
                />
                <ErrorText error={report.error} />
                <div className="hearth-row">
                  <Button
                    type="submit"
                    className="hearth-button hearth-button-primary"
                    isPending={report.isPending}
                  >
                    Send report
                  </Button>
                  <Button className="hearth-button hearth-button-quiet" onPress={close}>
                    Cancel
                  </Button>
                </div>
              </Form>
            )
          }
        </Dialog>
      </Modal>
    </DialogTrigger>
  );
}
