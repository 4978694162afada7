import { Component, type ReactNode } from 'react';

/** Last resort: a rendering bug shows a message and a way back, not a blank page. Cached data is untouched. */
export class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state = { error: null as Error | null };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="error" role="alert">
        <p>Something in the page broke: {this.state.error.message}</p>
        <p>Your cached datasets are safe on this device.</p>
        <button type="button" onClick={() => location.reload()}>
          Reload the lab
        </button>
      </div>
    );
  }
}
