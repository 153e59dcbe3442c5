import { useId, useState } from 'react';
import { Field } from '../../components/Field';

interface Props {
  label: string;
  value: string;
  onChange: (text: string) => void;
  error?: string;
}

/** A private key, pasted or read from a file (the file never leaves the browser except in the request). */
export function KeyTextField({ label, value, onChange, error }: Props) {
  const fileId = useId();
  const [fileError, setFileError] = useState<string>();
  const read = async (file: File | undefined) => {
    setFileError(undefined);
    if (!file) return;
    if (file.size > 65_536) {
      setFileError(`${file.name} is larger than 64 KiB: not a private key keyhold reads`);
      return;
    }
    onChange(await file.text());
  };
  return (
    <Field label={label} hint="Paste an unencrypted OpenSSH or PEM private key, or choose its file." error={error ?? fileError}>
      {(ids) => (
        <>
          <textarea
            {...ids}
            className="key-text"
            name="private_key"
            rows={6}
            value={value}
            onChange={(e) => onChange(e.target.value)}
            spellCheck={false}
            autoComplete="off"
            placeholder="-----BEGIN OPENSSH PRIVATE KEY-----"
          />
          <div className="file-pick">
            <label htmlFor={fileId}>Or read it from a file</label>
            <input id={fileId} type="file" onChange={(e) => void read(e.target.files?.[0])} />
          </div>
        </>
      )}
    </Field>
  );
}
