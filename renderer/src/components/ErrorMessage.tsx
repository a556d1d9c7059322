/** An error where the user acted: readable text, announced to screen readers, never a blank page. */
export function ErrorMessage({ error, title }: { error: string | null | undefined; title?: string }) {
  if (!error) return null;
  const lines = error.split('\n').filter(Boolean);
  return (
    <div className="error-box" role="alert">
      {title && <strong>{title}</strong>}
      {lines.length > 1 ? (
        <ul>
          {lines.map((l, i) => (
            <li key={i}>{l}</li>
          ))}
        </ul>
      ) : (
        <span>{lines[0]}</span>
      )}
    </div>
  );
}
