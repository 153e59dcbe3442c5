import { type ReactNode, useEffect, useRef } from 'react';

interface Props {
  title: string;
  /** Buttons beside the title. */
  actions?: ReactNode;
  intro?: ReactNode;
  children: ReactNode;
}

/** A page: its title becomes the document's, and focus moves to the heading when the page opens (screen readers hear where they are). */
export function Page({ title, actions, intro, children }: Props) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · keyhold`;
    // Not on the very first page load: focus starts at the top there, as on any site.
    if (document.activeElement && document.activeElement !== document.body) heading.current?.focus({ preventScroll: false });
  }, [title]);
  return (
    <>
      <div className="page-head">
        <h1 ref={heading} tabIndex={-1}>
          {title}
        </h1>
        {actions && <div className="page-actions">{actions}</div>}
      </div>
      {intro && <p className="intro">{intro}</p>}
      {children}
    </>
  );
}
